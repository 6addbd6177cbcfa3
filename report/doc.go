// Package report owns results once a sampler has produced them:
//
//   - JTL writing (CSV or XML, every jmeter.save.saveservice switch) as a run
//     Output, including the files of the plan's own ResultCollector listeners;
//   - JTL reading: every variant JMeter writes (column sets from 2.x to 5.6,
//     no header, other delimiters, date timestamps, XML, gzip), several files
//     merged by time;
//   - the console summariser ("summary +" / "summary =" lines);
//   - statistics per label (exact counts per millisecond, or JMeter's
//     windowed percentiles), APDEX, error tables, over-time series, and from
//     them index.html and statistics.json in JMeter's schema;
//   - comparing two runs and --fail-on thresholds.
//
// It does not run samplers or judge samples: labels, success and failure
// messages are taken as the sampler and the assertions set them. It prints
// only to the writers it is given and never exits the process; the CLI
// decides what a result means for the exit code.
package report
