package engine

import (
	"strings"

	"github.com/gometer/gometer/jmx"
	"github.com/gometer/gometer/sampler"
	"github.com/gometer/gometer/sampler/raw"
)

// kind is what role an element class plays in the tree.
type kind uint8

const (
	kUnknown     kind = iota
	kIgnore           // GUI/recorder leftovers: accepted, do nothing (subtree ignored)
	kTestPlan         // the root
	kThreadGroup      // ThreadGroup and its kin
	kSampler          // produces samples
	kController       // logic controller
	kFragment         // TestFragmentController: only reachable through Module/Include
	kConfig           // config elements merged into / used by samplers
	kUDV              // Arguments: global variables
	kData             // iteration listeners: CSVDataSet, CounterConfig, RandomVariableConfig
	kPre              // pre-processors
	kPost             // post-processors
	kAssertion        // assertions
	kTimer            // timers
	kListener         // ResultCollector (file output when it names one)
)

// classSpec says what the engine does with one element class.
type classSpec struct {
	kind kind
	// unsupported, when set, is why gometer cannot run this class.
	unsupported string
	// script is the language of a JSR223/BeanShell/BSF element.
	script string
}

// classes maps an element's class (its XML tag) to what the engine does
// with it. It is filled once at package init and only read afterwards.
var classes = map[string]classSpec{
	"TestPlan": {kind: kTestPlan},

	"ThreadGroup":      {kind: kThreadGroup},
	"SetupThreadGroup": {kind: kThreadGroup},
	"PostThreadGroup":  {kind: kThreadGroup},
	classUltimate:      {kind: kThreadGroup},
	classStepping:      {kind: kThreadGroup},
	classConcurrency:   {kind: kThreadGroup},
	classArrivals:      {kind: kThreadGroup},
	classFreeForm:      {kind: kThreadGroup},
	classOpenModel:     {kind: kThreadGroup},

	"HTTPSamplerProxy":                    {kind: kSampler},
	"HTTPSampler":                         {kind: kSampler},
	"HTTPSampler2":                        {kind: kSampler},
	"DebugSampler":                        {kind: kSampler},
	"kg.apc.jmeter.samplers.DummySampler": {kind: kSampler},
	"TestAction":                          {kind: kSampler},
	"JDBCSampler":                         {kind: kSampler},
	classHTTP2Sampler:                     {kind: kSampler},
	"TCPSampler":                          {kind: kSampler},
	"SystemSampler":                       {kind: kSampler},
	classHTTP2Request:                     {kind: kSampler},
	"JDBCDataSource":                      {kind: kConfig},
	"JDBCPreProcessor":                    {kind: kPre},
	"JDBCPostProcessor":                   {kind: kPost},

	"GenericController":         {kind: kController},
	"RecordingController":       {kind: kController},
	"LoopController":            {kind: kController},
	"TransactionController":     {kind: kController},
	"IfController":              {kind: kController},
	"WhileController":           {kind: kController},
	"OnceOnlyController":        {kind: kController},
	"ThroughputController":      {kind: kController},
	"RandomController":          {kind: kController},
	"RandomOrderController":     {kind: kController},
	"InterleaveControl":         {kind: kController},
	"SwitchController":          {kind: kController},
	"ForeachController":         {kind: kController},
	"RunTime":                   {kind: kController},
	"CriticalSectionController": {kind: kController},
	"ModuleController":          {kind: kController},
	"IncludeController":         {kind: kController},
	"TestFragmentController":    {kind: kFragment},

	"ConfigTestElement":       {kind: kConfig},
	"HeaderManager":           {kind: kConfig},
	"CookieManager":           {kind: kConfig},
	"CacheManager":            {kind: kConfig},
	"AuthManager":             {kind: kConfig},
	"DNSCacheManager":         {kind: kConfig},
	"Arguments":               {kind: kUDV},
	classVarsFromCSV:          {kind: kUDV},
	classVarsFromFile:         {kind: kUDV},
	classRandomCSV:            {kind: kData},
	classParameterized:        {kind: kController},
	classWeightedSwitch:       {kind: kController},
	classParallel:             {kind: kController},
	sampler.ClassParallelHTTP: {kind: kSampler},

	"CSVDataSet":           {kind: kData},
	"CounterConfig":        {kind: kData},
	"RandomVariableConfig": {kind: kData},
	"UserParameters":       {kind: kPre},

	"ConstantTimer":           {kind: kTimer},
	"UniformRandomTimer":      {kind: kTimer},
	"GaussianRandomTimer":     {kind: kTimer},
	"PoissonRandomTimer":      {kind: kTimer},
	"ConstantThroughputTimer": {kind: kTimer},
	"PreciseThroughputTimer":  {kind: kTimer},
	"SyncTimer":               {kind: kTimer},
	classShapingTimer:         {kind: kTimer},

	"ResultCollector": {kind: kListener},
	"BackendListener": {kind: kListener}, // made by Options.OpenListener
	// The JMeter Prometheus plugin's listener, made by Options.OpenListener.
	"com.github.johrstrom.listener.PrometheusListener": {kind: kListener},
	// jmeter-plugins' Flexible File Writer, made by Options.OpenListener.
	"kg.apc.jmeter.reporters.FlexibleFileWriter": {kind: kListener},

	// Accepted and ignored: GUI and recorder leftovers, visualizers.
	"WorkBench":                              {kind: kIgnore},
	"ProxyControl":                           {kind: kIgnore},
	"Summariser":                             {kind: kIgnore},
	"kg.apc.jmeter.perfmon.PerfMonCollector": {kind: kIgnore},

	// Known but not runnable by gometer.
	"KeystoreConfig":       {kind: kConfig},
	"ResultSaver":          {kind: kListener},
	"FTPSampler":           {kind: kSampler, unsupported: "FTP sampler is not supported"},
	"JMSSampler":           {kind: kSampler, unsupported: "JMS sampler is not supported"},
	"PublisherSampler":     {kind: kSampler, unsupported: "JMS publisher is not supported"},
	"SubscriberSampler":    {kind: kSampler, unsupported: "JMS subscriber is not supported"},
	"SmtpSampler":          {kind: kSampler, unsupported: "SMTP sampler is not supported"},
	"LDAPSampler":          {kind: kSampler, unsupported: "LDAP sampler is not supported"},
	"JavaSampler":          {kind: kSampler, unsupported: "Java request sampler is not supported"},
	"AnchorModifier":       {kind: kPre},
	"URLRewritingModifier": {kind: kPre},
	"RegExUserParameters":  {kind: kPre},
	"ResultAction":         {kind: kPost},
	classFifoPop:           {kind: kPre},
	raw.SourceClass:        {kind: kPre},
	raw.Class:              {kind: kSampler},
	classFifoPut:           {kind: kPost},
}

// scriptClass reports the script family of JSR223/BeanShell/BSF elements.
func scriptClass(class string) (family string, ok bool) {
	switch {
	case strings.HasPrefix(class, "JSR223"):
		return "JSR223", true
	case strings.HasPrefix(class, "BeanShell"):
		return "BeanShell", true
	case strings.HasPrefix(class, "BSF"):
		return "BSF", true
	}
	return "", false
}

// scriptLanguage names the language of a script element for messages.
func scriptLanguage(el *jmx.Element, family string) string {
	switch family {
	case "BeanShell":
		return "beanshell"
	case "JSR223":
		if l := strings.TrimSpace(el.Str("scriptLanguage")); l != "" {
			return l
		}
		return "groovy"
	default:
		if l := strings.TrimSpace(el.Str("scriptLanguage")); l != "" {
			return l
		}
		return "unknown"
	}
}

// isVisualizer reports plugin listeners that only draw graphs in the GUI.
func isVisualizer(class string) bool {
	return strings.HasPrefix(class, "kg.apc.jmeter.vizualizers.")
}
