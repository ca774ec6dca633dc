/** Compatibility kits: abstract JUnit 5 tests that every implementation of a ragmail interface must pass. Extend one to test your own adapter. */
package io.ragmail.testkit.contract;
