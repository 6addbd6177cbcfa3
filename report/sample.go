package report

// Sample is one JTL row, as written or read. Times are in milliseconds, as
// in the file. Optional columns that a file lacks are left zero.
type Sample struct {
	TimeStamp       int64 // sample start, epoch ms
	Elapsed         int64
	Label           string
	ResponseCode    string
	ResponseMessage string
	ThreadName      string
	DataType        string
	Success         bool
	FailureMessage  string
	Bytes           int64
	SentBytes       int64
	GrpThreads      int
	AllThreads      int
	URL             string
	Filename        string
	Latency         int64
	Encoding        string
	SampleCount     int
	ErrorCount      int
	Hostname        string
	IdleTime        int64
	Connect         int64
	Vars            []string // sample_variables columns
	// Source is the index of the results file the row came from when
	// several are merged (shards): active threads add up across them.
	Source int
}

// End is the sample's end time in epoch ms (start-time stamps, JMeter 5.6's default).
func (s *Sample) End() int64 { return s.TimeStamp + s.Elapsed }

// TransactionPrefix starts the response message of a transaction controller
// sample; JMeter's tools recognise those samples by it alone.
const TransactionPrefix = "Number of samples in transaction : "

// IsTransaction reports whether the row is a transaction controller sample.
func (s *Sample) IsTransaction() bool {
	return len(s.ResponseMessage) >= len(TransactionPrefix) && s.ResponseMessage[:len(TransactionPrefix)] == TransactionPrefix
}
