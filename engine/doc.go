// Package engine compiles a plan's element tree into runnable thread groups
// and runs them: virtual users, controllers, timers, scoping of config,
// pre/post-processors and assertions, the scheduler and stop semantics. It
// neither writes files nor prints: results go to the Outputs it is given.
//
// # Compile
//
// Compile walks the tree once and reports every element it cannot run as a
// Problem (file, line, element path, class). Element classes (the XML tag)
// map to roles in the classes registry; extractors and assertions are
// recognised through their packages' Handles functions. For every sampler
// the elements in scope are resolved once, as JMeter's TestCompiler does:
// walking from the sampler up to the test plan, each level contributes its
// direct children. Config elements apply innermost first (the sampler's own
// non-empty value wins; HTTP samplers only merge ConfigTestElements whose
// guiclass is on JMeter's list; header managers combine, inner wins per
// name); cookie, cache, auth and DNS managers: the outermost wins;
// pre-processors, post-processors and assertions run outermost first;
// timers are summed. Test-level elements apply to every thread group.
// Arguments (User Defined Variables) anywhere are global and evaluated once,
// in document order, when the run starts.
//
// # Run
//
// Every virtual user is a goroutine with its own variables (a copy of the
// global ones), functions.Context, HTTP state and controller state (slots
// indexed by element). Controllers run their children recursively and
// report a flow (next, start next thread loop, next loop pass, break loop,
// stop) to their parent; per-user "done" flags reproduce JMeter's
// controllers that end for the rest of a thread's life (a nested loop with
// continue_forever=false, once-only controllers). The per-sample order is
// JMeterThread's: pre-processors, timers (one sleep for the sum, clipped at
// the scheduler end: a pause past it stops the user instead), the sample,
// thread counts, post-processors, assertions, JMeterThread.last_sample_ok,
// listeners, enclosing transactions, then the stop flags and the group's
// on_sample_error. Samples reach the outputs through one collector
// goroutine, in small per-user batches.
//
// Thread groups: ThreadGroup, setUp and tearDown groups (phases run one
// after the other; serialize_threadgroups; tearDown_on_shutdown), ramp-up at
// i·round(R·1000/N) ms, scheduler delay and duration (a running sample is
// never cut), the main loop exactly as 5.6.3 reads it (a loop controller
// without continue_forever=false never ends), plus the Ultimate (with the
// threads_schedule property), Stepping, Concurrency, Arrivals, Free-Form
// Arrivals and Open Model thread groups. Options.Shard/Shards split a plan's
// users between several gometer processes, each user keeping its start time.
//
// Plugin elements run as well: Throughput Shaping Timer, Parameterized
// Controller, Weighted Switch Controller, Parallel Controller (each child a
// branch of the user on a goroutine of its own, see plugins_parallel.go),
// Variables From CSV File, Random CSV Data Set.
//
// For the outputs: Test.Counts (active, started, finished users) feeds the
// summariser; Test.Lag reports how late pauses woke, the sign of a
// saturated generator; sample_variables values are set on every sample
// (Result.Vars); response bodies nothing reads are dropped unless a JTL
// saves response data (Options.KeepBodies or the save-service property).
//
// Known approximations: with "ignore sub-controller blocks" Interleave and
// Random controllers take one sampler at a time only from simple
// sub-controllers of samplers (others run as a block); JavaScript If
// conditions run on the functions package's one-line JavaScript evaluator.
//
// Copied on purpose: an Arrivals thread group with a ramp-up and no steps
// sends nothing during the ramp-up and then its full rate, as the plugin's
// code does (its linear ramp never leaves a rate of 0).
package engine
