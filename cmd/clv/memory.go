package main

import (
	"bufio"
	"os"
	"strconv"
	"strings"
)

// memoryLimit returns the memory the analysis layer's large steps may take:
// --max-memory when given, else the memory available now (MemAvailable of
// /proc/meminfo), else 0 (unknown: no limit).
func (a *app) memoryLimit() (int64, error) {
	if a.maxMemory != "" {
		n, ok := parseBytes(a.maxMemory)
		if !ok || n <= 0 {
			return 0, usagef("--max-memory %q: want a size such as 8GB, 512MB or 2000000000", a.maxMemory)
		}
		return n, nil
	}
	return availableMemory(), nil
}

// availableMemory reads MemAvailable from /proc/meminfo (Linux); 0 when it
// cannot.
func availableMemory() int64 {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for lines := 0; sc.Scan() && lines < 200; lines++ {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || name != "MemAvailable" {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) != 2 || fields[1] != "kB" {
			return 0
		}
		kb, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil || kb <= 0 {
			return 0
		}
		return kb * 1024
	}
	return 0
}

// parseBytes parses a byte count with an optional unit: B, kB/KB/K,
// MB/M, GB/G, TB/T (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024).
func parseBytes(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	i := len(s)
	for i > 0 && (s[i-1] < '0' || s[i-1] > '9') && s[i-1] != '.' {
		i--
	}
	num, unit := strings.TrimSpace(s[:i]), strings.ToLower(strings.TrimSpace(s[i:]))
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || v < 0 {
		return 0, false
	}
	mult := map[string]float64{"": 1, "b": 1, "k": 1e3, "kb": 1e3, "m": 1e6, "mb": 1e6, "g": 1e9, "gb": 1e9, "t": 1e12, "tb": 1e12,
		"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40}[unit]
	if mult == 0 || v*mult > 1<<62 {
		return 0, false
	}
	return int64(v * mult), true
}
