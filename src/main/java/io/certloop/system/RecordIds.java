package io.certloop.system;

import java.sql.DatabaseMetaData;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.jdbc.support.incrementer.DataFieldMaxValueIncrementer;
import org.springframework.jdbc.support.incrementer.H2SequenceMaxValueIncrementer;
import org.springframework.jdbc.support.incrementer.PostgresSequenceMaxValueIncrementer;

/**
 * The year-and-number ids of one kind of record ({@code INC-2026-000042}, {@code EXC-...}, {@code ROT-...},
 * {@code BG-...}), numbered by a database sequence: unique across the nodes sharing the database, and portable
 * between the two databases CertLoop runs on through Spring's incrementers.
 */
public final class RecordIds {

    private final String prefix;
    private final DataFieldMaxValueIncrementer sequence;

    private RecordIds(String prefix, DataFieldMaxValueIncrementer sequence) {
        this.prefix = prefix;
        this.sequence = sequence;
    }

    /** Ids {@code <prefix>-<year>-<n>} numbered by the named sequence, on PostgreSQL or else H2. */
    public static RecordIds of(String prefix, DataSource dataSource, String sequence) {
        String product;
        try {
            product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
        } catch (MetaDataAccessException e) {
            throw new IllegalStateException("cannot tell which database holds " + sequence, e);
        }
        boolean postgres = product != null && product.toLowerCase(Locale.ROOT).contains("postgres");
        return new RecordIds(
                prefix,
                postgres
                        ? new PostgresSequenceMaxValueIncrementer(dataSource, sequence)
                        : new H2SequenceMaxValueIncrementer(dataSource, sequence));
    }

    /** The next id in this year; the number is zero-padded to six digits and keeps counting across years. */
    public String next(int year) {
        return String.format("%s-%d-%06d", prefix, year, sequence.nextLongValue());
    }
}
