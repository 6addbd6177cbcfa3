// Package engine compiles a plan's element tree into runnable thread groups
// and runs them: virtual users, controllers, timers, scoping of config,
// pre/post-processors and assertions, the scheduler and stop semantics. It
// neither writes files nor prints: results go to the Outputs it is given.
package engine
