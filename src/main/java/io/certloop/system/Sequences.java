package io.certloop.system;

import java.sql.DatabaseMetaData;
import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.jdbc.support.incrementer.DataFieldMaxValueIncrementer;
import org.springframework.jdbc.support.incrementer.H2SequenceMaxValueIncrementer;
import org.springframework.jdbc.support.incrementer.PostgresSequenceMaxValueIncrementer;

/** Database sequences behind the year-and-number ids of records (incidents, exceptions, rotations). */
public final class Sequences {

    private Sequences() {}

    /** The named sequence on whichever of the two supported databases holds it (PostgreSQL, else H2). */
    public static DataFieldMaxValueIncrementer of(DataSource dataSource, String sequence) {
        String product;
        try {
            product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
        } catch (MetaDataAccessException e) {
            throw new IllegalStateException("cannot tell which database holds " + sequence, e);
        }
        if (product != null && product.toLowerCase(Locale.ROOT).contains("postgres")) {
            return new PostgresSequenceMaxValueIncrementer(dataSource, sequence);
        }
        return new H2SequenceMaxValueIncrementer(dataSource, sequence);
    }
}
