package io.certloop.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * What every state-changing {@code /api} call must satisfy before a controller sees it:
 * <ul>
 *   <li>no body a cross-site HTML form or a "simple" cross-origin request can send: {@code text/plain},
 *       {@code application/x-www-form-urlencoded}, {@code multipart/form-data}, or a body without a content type
 *       (415); a browser's own cross-site request ({@code Sec-Fetch-Site: cross-site} or {@code same-site}) is
 *       refused whatever it carries (403);</li>
 *   <li>a body of at most {@code certloop.api.max-body-size}, declared or streamed (413, nothing read further).</li>
 * </ul>
 * Runs after authentication, so an unauthenticated caller learns nothing but 401.
 */
class ApiRequestGuard extends OncePerRequestFilter {

    private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> FORM_TYPES =
            Set.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data");
    private static final Set<String> OWN_SITE = Set.of("same-origin", "none");

    private final long maxBodyBytes;
    private final ObjectMapper json;

    ApiRequestGuard(ApiProperties properties, ObjectMapper json) {
        this.maxBodyBytes = properties.maxBodySize().toBytes();
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!STATE_CHANGING.contains(request.getMethod().toUpperCase(Locale.ROOT))) {
            chain.doFilter(request, response);
            return;
        }
        String site = request.getHeader("Sec-Fetch-Site");
        if (site != null && !OWN_SITE.contains(site.toLowerCase(Locale.ROOT))) {
            refuse(
                    response,
                    HttpStatus.FORBIDDEN,
                    "Cross-site request",
                    "A browser sent this request from another site (Sec-Fetch-Site: " + site
                            + "); CertLoop's API changes nothing on behalf of another site");
            return;
        }
        boolean hasBody = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
        String contentType = request.getContentType();
        if (contentType != null && !contentType.isBlank()) {
            MediaType type;
            try {
                type = MediaType.parseMediaType(contentType);
            } catch (InvalidMediaTypeException e) {
                refuse(
                        response,
                        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                        "Unsupported media type",
                        "Content type " + Text.cut(contentType, 100)
                                + " is not a valid media type; send application/json");
                return;
            }
            if (FORM_TYPES.contains((type.getType() + "/" + type.getSubtype()).toLowerCase(Locale.ROOT))) {
                refuse(
                        response,
                        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                        "Unsupported media type",
                        "Content type " + type.getType() + "/" + type.getSubtype()
                                + " is refused on calls that change something (a cross-site form can send it);"
                                + " send application/json (or application/yaml where a route takes YAML)");
                return;
            }
        } else if (hasBody) {
            refuse(
                    response,
                    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                    "Unsupported media type",
                    "A request body needs a Content-Type; send application/json");
            return;
        }
        if (request.getContentLengthLong() > maxBodyBytes) {
            tooLarge(response);
            return;
        }
        if (!hasBody) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = readAtMost(request.getInputStream(), maxBodyBytes + 1);
        if (body.length > maxBodyBytes) {
            tooLarge(response);
            return;
        }
        chain.doFilter(new BufferedBody(request, body), response);
    }

    private void tooLarge(HttpServletResponse response) throws IOException {
        refuse(
                response,
                HttpStatus.PAYLOAD_TOO_LARGE,
                "Request body too large",
                "The request body is larger than " + maxBodyBytes
                        + " bytes (certloop.api.max-body-size); nothing was read or written");
    }

    private void refuse(HttpServletResponse response, HttpStatus status, String title, String detail)
            throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        // the client may still be sending: say the connection ends rather than read the rest of a huge body
        response.setHeader("Connection", "close");
        response.getOutputStream().write(json.writeValueAsBytes(problem));
    }

    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int read;
        while (out.size() < limit
                && (read = in.read(buffer, 0, (int) Math.min(buffer.length, limit - out.size()))) != -1) {
            out.write(buffer, 0, read);
        }
        return out.toByteArray();
    }
}
