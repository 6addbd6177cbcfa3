// Counts prints, for each HTML file named on the command line, the parse
// errors and warnings JTidy counts when configured as JMeter 5.6.3's HTML
// Assertion configures it (HTML format, doctype "omit"). Run by regen.sh
// with the jtidy jar of a JMeter installation.
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.w3c.tidy.Tidy;

public class Counts {
    public static void main(String[] args) throws Exception {
        for (String f : args) {
            Tidy t = new Tidy();
            t.setInputEncoding("UTF-8");
            t.setOutputEncoding("UTF-8");
            t.setQuiet(false);
            t.setShowWarnings(true);
            t.setDocType("omit");
            t.setErrout(new PrintWriter(new StringWriter()));
            t.parse(new ByteArrayInputStream(Files.readAllBytes(Path.of(f))), new ByteArrayOutputStream());
            System.out.println(Path.of(f).getFileName() + " " + t.getParseErrors() + " " + t.getParseWarnings());
        }
    }
}
