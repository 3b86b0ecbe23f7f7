/**
 * Planted violations of the architecture rules, laid out like the production packages under a
 * base of their own. Compiled as test code and never wired anywhere: the architecture tests check
 * that each rule, built for this base package, fails and names the offending classes.
 */
package io.spillway.archfixture;
