/** Tests only: the project's layers, checked with ArchUnit over every module's classes. */
package dev.xenlevelling.architecture;
