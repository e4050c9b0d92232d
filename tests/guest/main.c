// SPDX-License-Identifier: MIT
/*
 * The VMPL2 test guest (placeholder). It will find the SVSM through the
 * secrets page, call it through the CAA and VMGEXIT, and report TAP.
 */
#include "lib/console.h"

void guest_main(void);

void guest_main(void)
{
	con_printf("test guest: nothing to run yet\n");
}
