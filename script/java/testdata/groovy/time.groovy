import java.text.SimpleDateFormat
import java.time.*
import java.time.format.DateTimeFormatter
import java.time.temporal.ChronoUnit
import org.apache.commons.lang3.time.DateUtils

def d = new Date(1700000000123L)
def sdf = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
sdf.setTimeZone(TimeZone.getTimeZone("UTC"))
println sdf.format(d)
println new SimpleDateFormat("dd/MM/yyyy HH:mm").format(d)
println new SimpleDateFormat("EEE, d MMM yyyy").format(d)
def parsed = new SimpleDateFormat("yyyy-MM-dd HH:mm:ss").parse("2024-02-29 13:45:10")
println parsed.getTime()
println DateUtils.addDays(parsed, 1).getTime() - parsed.getTime()
Calendar cal = Calendar.getInstance()
cal.setTime(parsed)
cal.add(Calendar.MONTH, 1)
println cal.get(Calendar.YEAR) + "-" + (cal.get(Calendar.MONTH) + 1) + "-" + cal.get(Calendar.DAY_OF_MONTH)
def ldt = LocalDateTime.of(2024, 1, 31, 10, 15, 30)
println ldt
println ldt.plusMonths(1)
println ldt.format(DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss"))
println LocalDate.parse("2024-03-01").minusDays(1)
println LocalDate.of(2024, 5, 6).getDayOfWeek()
println Instant.ofEpochMilli(1700000000123L)
println Instant.ofEpochSecond(1700000000L)
println Duration.ofSeconds(3725)
println Duration.ofMillis(1500).toMillis()
println ChronoUnit.DAYS.between(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 3, 1))
println ZonedDateTime.of(2024, 6, 1, 12, 0, 0, 0, ZoneId.of("UTC")).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
println LocalDateTime.parse("2024-06-01T08:30:00").plusHours(20)
