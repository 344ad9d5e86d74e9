/**
 * The state directory of a simulated host ({@code host.json}, {@code domains.json}, {@code lock}),
 * so that separate processes see one host: {@link dev.xenlevelling.xc.hv.state.HostDirectory}
 * boots and opens it; its JSON is {@code StateJson} (the schema) over {@code JsonTree} (a
 * readTree imitation on jackson-core). It depends on the hypervisor, never the other
 * way: the hypervisor sees only its {@link dev.xenlevelling.xc.hv.DomainStore}.
 */
package dev.xenlevelling.xc.hv.state;
