package io.mister.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every released version of each record's schema, shipped as resources
 * {@code schema-history/<RecordName>/v<N>.avsc} (self-contained: nested records inlined). Readers
 * use them to resolve data written under an older version; tests use them to prove compatibility.
 */
public final class SchemaHistory {

    private SchemaHistory() {}

    /** The released versions of a record's schema, oldest first (v1, v2, ...). */
    public static List<Schema> releasedVersions(String recordName) {
        List<Schema> versions = new ArrayList<>();
        for (int v = 1; ; v++) {
            String path = "/schema-history/" + recordName + "/v" + v + ".avsc";
            try (InputStream in = SchemaHistory.class.getResourceAsStream(path)) {
                if (in == null) {
                    return versions;
                }
                versions.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + path, e);
            }
        }
    }
}
