package dev.xenlevelling.xl.defaults;

import dev.xenlevelling.xl.policyfile.PolicyFile;

/**
 * The policy file xl.conf names, read.
 *
 * @param name the file as named in messages (its path)
 * @param file the policy
 */
record LoadedPolicy(String name, PolicyFile file) {}
