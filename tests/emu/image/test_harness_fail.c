// SPDX-License-Identifier: MIT
/*
 * A deliberately failing case, hidden from the default run. The host
 * harness's own tests (tests/emu/test_harness.py) select it with
 * test=harness and check that the failure is reported, not swallowed.
 */
#include "lib/test.h"

TEST_HIDDEN(harness, deliberate_failure)
{
	EXPECT(1 + 1 == 3);
}

TEST_HIDDEN(harness, passing_neighbour)
{
	EXPECT(1 + 1 == 2);
}
