import java.security.KeyStore; import java.io.*; import java.util.*;
// Aliases prints the aliases of a key store in the order Java's KeyStore.aliases() gives them.
public class Aliases { public static void main(String[] a) throws Exception {
 KeyStore ks = KeyStore.getInstance(a[2]); try (InputStream in = new FileInputStream(a[0])) { ks.load(in, a[1].toCharArray()); }
 System.out.println(Collections.list(ks.aliases())); } }
