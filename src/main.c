// SPDX-License-Identifier: MIT
/*
 * The SVSM's C entry point. Today it prints its banner; SNP boot (GHCB
 * console, page tables with the C-bit, VMPL2 launch, request loop) is the
 * SVSM issue's work, and this file is where it will start.
 */
#include "lib/console.h"
#include "lib/serial.h"

#define SVSM_VERSION "0.1.0"

void svsm_main(void);

static struct serial svsm_com1;

static void svsm_con_write(void *ctx, const char *buf, uint32_t len)
{
	serial_write(ctx, buf, len);
}

void svsm_main(void)
{
	/*
	 * Direct port I/O is a placeholder: under SNP it raises #VC, and the
	 * console must go through the GHCB once the #VC handler exists.
	 */
	serial_init(&svsm_com1, SERIAL_COM1, &serial_io_pio, 115200, false);
	con_set_sink(svsm_con_write, &svsm_com1);
	con_printf("C SVSM %s (VMPL0)\n", SVSM_VERSION);
}
