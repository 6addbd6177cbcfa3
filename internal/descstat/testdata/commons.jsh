import org.apache.commons.math3.stat.descriptive.*;
import org.apache.commons.math3.stat.descriptive.rank.*;
double[][] data = { {5,1,9,3,7,2,8}, {10,20}, {3,3,4,100,1,1,56,2,9,12,15,7} };
float[] ps = {50f, 90f, 95f, 99f, 99.9f, 1f, 25f};
for (String et : new String[]{"LEGACY","R_1","R_2","R_3","R_4","R_5","R_6","R_7","R_8","R_9"}) {
  StringBuilder sb = new StringBuilder(et);
  for (double[] d : data) {
    DescriptiveStatistics s = new DescriptiveStatistics(5000);
    s.setPercentileImpl(new Percentile().withEstimationType(Percentile.EstimationType.valueOf(et)));
    for (double v : d) s.addValue(v);
    for (float p : ps) sb.append(" ").append(s.getPercentile(p));
  }
  System.out.println(sb);
}
DescriptiveStatistics m = new DescriptiveStatistics(3);
for (double v : new double[]{0.1, 0.2, 0.7, 1.3, 2.9}) m.addValue(v);
System.out.println("mean " + m.getMean() + " min " + m.getMin() + " max " + m.getMax());
/exit
