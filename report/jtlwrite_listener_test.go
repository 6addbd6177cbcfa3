package report

import (
	"strings"
	"testing"

	"github.com/gometer/gometer/jmx"
)

const listenerPlan = `<?xml version="1.0" encoding="UTF-8"?>
<jmeterTestPlan version="1.2" properties="5.0" jmeter="5.6.3">
  <hashTree>
    <TestPlan guiclass="TestPlanGui" testclass="TestPlan" testname="Plan" enabled="true"/>
    <hashTree>
      <ResultCollector guiclass="SummaryReport" testclass="ResultCollector" testname="Summary Report" enabled="true">
        <boolProp name="ResultCollector.error_logging">false</boolProp>
        <objProp>
          <name>saveConfig</name>
          <value class="SampleSaveConfiguration">
            <time>true</time>
            <latency>true</latency>
            <timestamp>true</timestamp>
            <success>true</success>
            <label>true</label>
            <code>true</code>
            <message>true</message>
            <threadName>true</threadName>
            <dataType>true</dataType>
            <encoding>false</encoding>
            <assertions>true</assertions>
            <subresults>true</subresults>
            <responseData>false</responseData>
            <samplerData>false</samplerData>
            <xml>false</xml>
            <fieldNames>true</fieldNames>
            <responseHeaders>false</responseHeaders>
            <requestHeaders>false</requestHeaders>
            <responseDataOnError>false</responseDataOnError>
            <saveAssertionResultsFailureMessage>true</saveAssertionResultsFailureMessage>
            <assertionsResultsToSave>0</assertionsResultsToSave>
            <bytes>true</bytes>
            <sentBytes>true</sentBytes>
            <url>true</url>
            <threadCounts>true</threadCounts>
            <idleTime>TRUE</idleTime>
          </value>
        </objProp>
        <stringProp name="filename">out/r.jtl</stringProp>
      </ResultCollector>
      <hashTree/>
      <ResultCollector guiclass="ViewResultsFullVisualizer" testclass="ResultCollector" testname="Plain" enabled="true">
        <stringProp name="filename"></stringProp>
      </ResultCollector>
      <hashTree/>
    </hashTree>
  </hashTree>
</jmeterTestPlan>
`

func TestSaveConfigForListener(t *testing.T) {
	plan, err := jmx.Parse([]byte(listenerPlan), "plan.jmx")
	if err != nil {
		t.Fatal(err)
	}
	var collectors []*jmx.Element
	for _, r := range plan.Roots {
		jmx.Walk(r, func(e *jmx.Element) bool {
			if e.Tag == "ResultCollector" {
				collectors = append(collectors, e)
			}
			return true
		})
	}
	if len(collectors) != 2 {
		t.Fatalf("found %d collectors", len(collectors))
	}
	base := DefaultSaveConfig()
	base.Delimiter = ';'
	c := SaveConfigForListener(collectors[0], base)
	// connectTime is not named, so it is off; idleTime TRUE is on; the delimiter comes from the properties.
	want := "timeStamp;elapsed;label;responseCode;responseMessage;threadName;dataType;success;failureMessage;bytes;sentBytes;grpThreads;allThreads;URL;Latency;IdleTime"
	if got := c.Header(); got != want {
		t.Fatalf("header\n got %s\nwant %s", got, want)
	}
	if !c.PrintFieldNames || c.XML || !c.SubResults {
		t.Fatalf("cfg %+v", c)
	}
	if got := SaveConfigForListener(collectors[1], base); got.Header() != base.Header() {
		t.Fatalf("listener without saveConfig: %s", got.Header())
	}
	if !strings.HasSuffix(string(FormatRows(nil, httpResult(), &c)), ";10;0\n") {
		t.Fatal("row does not follow the listener's columns")
	}
}
