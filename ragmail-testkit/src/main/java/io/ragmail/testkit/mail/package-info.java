/** Sample and hostile mail for tests. */
package io.ragmail.testkit.mail;
