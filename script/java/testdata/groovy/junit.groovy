import org.junit.Assert
def t(String name, Closure c) {
    try { c(); println "$name: passed" }
    catch (Throwable e) { println "$name: ${e.getClass().name}: ${e.message}" }
}
t('eq str') { Assert.assertEquals("abc", "abd") }
t('eq str ok') { Assert.assertEquals("abc", "abc") }
t('eq str long') { Assert.assertEquals("the quick brown fox jumps over the lazy dog", "the quick brown fox jumped over the lazy dog") }
t('eq str prefix') { Assert.assertEquals("abc", "abcdef") }
t('eq str empty') { Assert.assertEquals("", "x") }
t('eq str msg') { Assert.assertEquals("ids differ", "101", "102") }
t('eq int') { Assert.assertEquals(1, 2) }
t('eq int ok') { Assert.assertEquals(5, 5) }
t('eq int long') { Assert.assertEquals(5, 5L) }
t('eq msg int') { Assert.assertEquals("count", 1, 2) }
t('eq null') { Assert.assertEquals(null, "x") }
t('eq str null') { Assert.assertEquals("x", null) }
t('eq obj') { Assert.assertEquals([1, 2], [1, 3]) }
t('eq same text') { Assert.assertEquals("1", 1) }
t('eq double') { Assert.assertEquals(1.5d, 1.5d, 0.001d) }
t('eq double bad') { Assert.assertEquals(1.5d, 1.7d, 0.001d) }
t('true') { Assert.assertTrue(1 > 2) }
t('true msg') { Assert.assertTrue("must hold", false) }
t('true ok') { Assert.assertTrue(true) }
t('false') { Assert.assertFalse(true) }
t('false msg') { Assert.assertFalse("nope", true) }
t('notnull') { Assert.assertNotNull(null) }
t('notnull msg') { Assert.assertNotNull("id missing", null) }
t('null') { Assert.assertNull("x") }
t('null msg') { Assert.assertNull("should be empty", 5) }
t('fail') { Assert.fail() }
t('fail msg') { Assert.fail("boom") }
t('noteq') { Assert.assertNotEquals("a", "a") }
t('noteq msg') { Assert.assertNotEquals("m", 1, 1) }
t('noteq ok') { Assert.assertNotEquals("a", "b") }
t('same') { Assert.assertSame("a", "b") }
t('eq empty msg') { Assert.assertEquals("", "a", "b") }
