/**
 * Whether a drafted reply may go out on its own: the grounding check (cited passages, numbers and
 * references backed by what the drafter was given), always-review topics and the standard
 * {@link io.ragmail.core.ReviewPolicy}.
 */
package io.ragmail.core.review;
