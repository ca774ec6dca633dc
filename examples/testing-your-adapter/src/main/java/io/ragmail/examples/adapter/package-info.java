/** Two small adapters (a keyword knowledge store, a review-queue sink) and how to test them with ragmail-testkit. */
package io.ragmail.examples.adapter;
