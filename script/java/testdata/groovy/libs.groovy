import groovy.json.JsonSlurper
import groovy.json.JsonOutput
import javax.crypto.Mac
import javax.crypto.spec.SecretKeySpec
import java.security.MessageDigest
import java.nio.charset.StandardCharsets
import org.apache.commons.codec.digest.DigestUtils
import org.apache.commons.lang3.StringUtils
import net.minidev.json.JSONValue
import net.minidev.json.JSONObject
import com.jayway.jsonpath.JsonPath

def body = '{"token":"abc/123","user":{"id":42,"name":"Zoë","roles":["a","b"]},"price":12.5,"big":12345678901,"ok":true,"none":null}'
def json = new JsonSlurper().parseText(body)
println json.token
println json.user.id + 1
println json.user.roles[1]
println json.user.roles.size()
println json.price * 2
println json.big.getClass().name
println json.ok && json.none == null
println JsonOutput.toJson([a: 1, b: [true, null, 'x"y'], c: 'é/'])
println JsonOutput.prettyPrint('{"a":[1,2],"b":{"c":"d"},"e":[]}')
println JsonOutput.toJson(json.user)

Mac mac = Mac.getInstance("HmacSHA256")
mac.init(new SecretKeySpec("secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
byte[] sig = mac.doFinal("message".getBytes(StandardCharsets.UTF_8))
println sig.encodeHex().toString()
println Base64.getEncoder().encodeToString(sig)
println new String(Base64.getDecoder().decode("aGVsbG8="), "UTF-8")
MessageDigest md = MessageDigest.getInstance("SHA-256")
println md.digest("abc".getBytes()).encodeHex().toString()
println DigestUtils.md5Hex("abc")
println DigestUtils.sha1Hex("abc")
println org.apache.commons.codec.binary.Base64.encodeBase64String("user:pass".getBytes())
println "${StringUtils.isBlank("  ")} " + StringUtils.substringBetween("a[b]c", "[", "]") + " " + StringUtils.leftPad("7", 3, "0")
println StringUtils.join(["a", "b"], ",")
println URLEncoder.encode("a b&c=d/é", "UTF-8")
println URLDecoder.decode("a+b%26c", "UTF-8")
def o = (JSONObject) JSONValue.parse('{"x":"a/b","n":1}')
println o.get("x")
println o.toJSONString()
println JsonPath.read(body, '$.user.name')
println JsonPath.read(body, '$.user.roles[0]')
println JsonPath.read(body, '$..id')
println String.format("%s=%d %.3f %5s|%-4d|%x %08.3f %b %c %e %,.2f", "k", 7, 1.23456, "ab", 3, 255, -3.14159, null, (char)'z', 12345.678, 1234567.891)
println String.format("%3\$s %1\$s %2\$s", "a", "b", "c")
println "a1b22c333".replaceAll(/(\d+)/, '<$1>')
println "a,b;c d".split(/[,; ]/)
def mm = ("key=value; k2=v2" =~ /(\w+)=(\w+)/)
while (mm.find()) { println mm.group(1) + "->" + mm.group(2) + "@" + mm.start() }
println "x".padRight(3, ".") + "|"
println "Hello %s".format("x") 
println "2026-01-05".tokenize("-").collect { it as int }.sum()
