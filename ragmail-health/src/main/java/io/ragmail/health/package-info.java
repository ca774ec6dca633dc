/** Health, metrics and dashboard HTTP server (to come), fed by pipeline events. */
package io.ragmail.health;
