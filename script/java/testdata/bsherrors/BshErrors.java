import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import javax.script.ScriptEngine;
import javax.script.ScriptException;

// Prints, for each case of a cases file (cases start with a "=== name"
// line), what BeanShell 2.0b6 says when the script fails: the EvalError's
// getMessage() (the text JMeter's BeanShell elements show after "Error
// invoking bsh method: eval\t") and the ScriptException's toString() from
// BeanShell's JSR223 engine (what a JSR223 element in "java" shows).
// Output: a JSON array of {name, script, bsh, jsr223}.
public class BshErrors {
    public static void main(String[] args) throws Exception {
        String all = new String(Files.readAllBytes(Paths.get(args[0])), "UTF-8");
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream())); // what scripts print
        StringBuilder out = new StringBuilder("[\n");
        String sep = "";
        for (String c : all.split("(?m)^=== ")) {
            if (c.isEmpty()) {
                continue;
            }
            int nl = c.indexOf('\n');
            String name = c.substring(0, nl).trim();
            String src = c.substring(nl + 1);
            if (src.endsWith("\n")) {
                src = src.substring(0, src.length() - 1); // the line ending the case
            }
            String bsh = "";
            try {
                new bsh.Interpreter().eval(src);
            } catch (bsh.EvalError e) {
                bsh = e.getMessage();
            }
            String jsr = "";
            try {
                ScriptEngine en = new bsh.engine.BshScriptEngineFactory().getScriptEngine();
                en.eval(src, en.createBindings());
            } catch (ScriptException e) {
                jsr = e.toString();
            }
            out.append(sep).append("{\"name\": ").append(quote(name))
                .append(", \"script\": ").append(quote(src))
                .append(",\n \"bsh\": ").append(quote(bsh))
                .append(",\n \"jsr223\": ").append(quote(jsr)).append("}");
            sep = ",\n";
        }
        stdout.print(out.append("\n]\n"));
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                b.append('\\').append(ch);
            } else if (ch == '\n') {
                b.append("\\n");
            } else if (ch == '\t') {
                b.append("\\t");
            } else if (ch < 0x20 || ch > 0x7e) {
                b.append(String.format("\\u%04x", (int) ch));
            } else {
                b.append(ch);
            }
        }
        return b.append('"').toString();
    }
}
