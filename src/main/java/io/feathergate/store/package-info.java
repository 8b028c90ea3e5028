/**
 * The key database: which {@link javax.sql.DataSource} (the container's by JNDI, PostgreSQL by
 * {@code DATABASE_URL}, or embedded H2 in the data directory), its Flyway migrations, and the JDBC
 * {@link io.feathergate.core.keys.KeyStore}. Every statement is parameterised.
 */
package io.feathergate.store;
