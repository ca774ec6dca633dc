/** ERP clients that need no ERP server: customer facts from a JSON file. */
package io.ragmail.core.erp;
