/** Pipeline events and the listener interface that metrics, health, dashboard and alerts implement. */
package io.ragmail.core.event;
