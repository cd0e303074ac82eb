package main

import "syscall"

// maxRSSMiB is the peak resident set size of this process so far
// (getrusage(2); Linux reports kilobytes).
func maxRSSMiB() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024
}
