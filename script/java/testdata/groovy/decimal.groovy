println 0.1 + 0.2
println 1e10
println 1 / 3
println 2 / 3
println 10 / 4
println 1000000 / 3
println 1.5 * 2
println 3.0 - 1
println 7.0 / 2
println 1.10 + 2.205
println((1.005).setScale(2, java.math.RoundingMode.HALF_UP))
println new BigDecimal("123.4567").setScale(2, BigDecimal.ROUND_HALF_UP)
println 19.99 * 3
println (0.1 + 0.2 == 0.3)
println 2.5.getClass().name
println ((1 / 4).getClass().name)
println 5 / 1 
println(1.5 <=> 1.50)
println 100 / 0.5
println 0.000001 * 1
println 0.0000001 * 1
println 1.5.intValue() + 1
println ((int) 7.9)
println 12.345.toString()
println String.format("%.2f", 2.675)
println "3.14".toBigDecimal() * 2
println 2.0 ** 3
println 1.0d + 1
println (1.5 + 1.5d)
def total = 0
[1.25, 2.5, 3.125].each { total += it }
println total
println([1.5, 0.5].sum())
println(10.0 / 3)
