package io.ragmail.testkit.odoo;

/** Field types FakeOdooServer models know, as {@code fields_get} names them. */
public enum OdooFieldType {
    CHAR, TEXT, HTML, SELECTION, INTEGER, FLOAT, MONETARY, BOOLEAN, DATE, DATETIME, MANY2ONE, ONE2MANY, MANY2MANY;

    String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    boolean relational() {
        return this == MANY2ONE || this == ONE2MANY || this == MANY2MANY;
    }

    boolean toMany() {
        return this == ONE2MANY || this == MANY2MANY;
    }
}
