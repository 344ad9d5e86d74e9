/** The libxl layer: xl.cfg and cpuid= parsing, default policy files, merge, levelling, streams. */
package dev.xenlevelling.xl;
