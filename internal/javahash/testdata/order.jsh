import java.util.*;
import java.util.concurrent.*;
// Each input line: kind|cap|key1;key2;... ; output: the same line with the iteration order.
String[][] cases = {
  {"hash","3","99;95;90"}, {"hash","3","90;95;99"}, {"hash","4","99.9;50;75;25"}, {"hash","1","99"},
  {"hash","2","a.pct90;a.pct95"}, {"hash","-1","500|internal server error;404|not found;assertion failed|x;0|none;200|ok"},
  {"chm","-1","all;Home;Login;Search;Checkout"},
  {"chm","-1","all;T01;T02;T03;T04;T05;T06;T07;T08;T09;T10;T11;T12;T13;T14;T15;T16;T17;T18;T19;T20;T21;T22;T23;T24;T25;T26;T27;T28;T29;T30"},
  {"chm","-1","__cumulated__;HTTP Request;HTTP Request-0;HTTP Request-1;Debug Sampler;JSR223 Sampler;é ü;日本"},
};
for (String[] c : cases) {
  Map<String,Integer> m = c[0].equals("chm") ? new ConcurrentHashMap<>() :
      (c[1].equals("-1") ? new HashMap<>() : new HashMap<>(Integer.parseInt(c[1])));
  for (String k : c[2].split(";")) m.put(k, 1);
  System.out.println(c[0] + " " + c[1] + " " + String.join(";", m.keySet()));
}
/exit
