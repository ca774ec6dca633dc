/** What tests need to run ragmail against real protocols: GreenMail helpers, contract test kits, and (later) fake Mistral and Odoo servers. */
package io.ragmail.testkit;
