/**
 * libxlutil's xl.cfg grammar: settings with positions, {@code +=}, command-line overrides, and
 * errors that carry file, line and column and say what was expected.
 */
package dev.xenlevelling.xl.config;
