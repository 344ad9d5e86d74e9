/** The {@code xl} command: the command table, global options and one class per command. */
package dev.xenlevelling.xl.cli;
