/** Small runnable programs showing how to embed and extend ragmail. */
package io.ragmail.examples;
