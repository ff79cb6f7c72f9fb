package io.certloop.system;

import java.net.URI;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * One page of a list answer: at most {@code limit} items after skipping {@code offset}. Lists stay JSON arrays;
 * when more items follow, the answer carries {@code Link: <...?limit=&offset=>; rel="next"}. Repositories fetch
 * {@link #fetch()} rows (one more than the page) so the answer knows whether a next page exists without counting.
 */
public record Page(int limit, int offset) {

    /** Rows to ask the database for: the page and one more. */
    public int fetch() {
        return limit + 1;
    }

    /** The page of an in-memory list (already small, such as one incident's break-glass requests). */
    public <T> List<T> slice(List<T> all) {
        if (offset >= all.size()) {
            return List.of();
        }
        return all.subList(offset, (int) Math.min(all.size(), (long) offset + fetch()));
    }

    /** 200 with the first {@code limit} of {@code fetched} (at most {@link #fetch()} rows) and a next link if more follow. */
    public <T> ResponseEntity<List<T>> answer(List<T> fetched) {
        if (fetched.size() <= limit) {
            return ResponseEntity.ok(List.copyOf(fetched));
        }
        URI next = ServletUriComponentsBuilder.fromCurrentRequest()
                .replaceQueryParam("limit", limit)
                .replaceQueryParam("offset", (long) offset + limit)
                .build()
                .toUri();
        String relative = next.getRawPath() + (next.getRawQuery() == null ? "" : "?" + next.getRawQuery());
        return ResponseEntity.ok()
                .header(HttpHeaders.LINK, "<" + relative + ">; rel=\"next\"")
                .body(List.copyOf(fetched.subList(0, limit)));
    }
}
