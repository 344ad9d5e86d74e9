/**
 * The {@code xensim} command, the simulated hypervisor's console: {@link
 * dev.xenlevelling.xensim.Xensim#main} ({@code boot}, {@code show}, {@code profiles}). As a
 * machine boots Xen, it boots hosts, so it alone besides the libxc facade uses the hypervisor's
 * packages.
 */
package dev.xenlevelling.xensim;
