package dataset

import "slices"

func stableByDay(idx []int, d []Day) {
	slices.SortStableFunc(idx, func(x, y int) int {
		switch {
		case d[x] < d[y]:
			return -1
		case d[x] > d[y]:
			return 1
		}
		return 0
	})
}
