package io.patchbay.rest.internal;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.core.MultivaluedMap;
import javax.ws.rs.ext.ReaderInterceptor;
import javax.ws.rs.ext.ReaderInterceptorContext;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;

import io.patchbay.api.InvalidInputException;

/**
 * Refuses control characters in path and query parameters and in every text of a JSON body, naming the field: an id
 * with a line break in it would forge lines in the server log. Free texts ({@code description}, {@code reason}) may
 * have line breaks and tabs.
 */
@Component(service = { ContainerRequestFilter.class, ReaderInterceptor.class })
@JaxrsExtension
@JaxrsApplicationSelect(PatchbayApplication.SELECT)
public class ControlCharacters implements ContainerRequestFilter, ReaderInterceptor {
    /** Fields whose text may have several lines. */
    static final Set<String> MULTI_LINE = Set.of("description", "reason");
    private static final String DTO_PACKAGE = "io.patchbay.api.dto";
    private static final int MAX_DEPTH = 8;

    @Override
    public void filter(ContainerRequestContext request) {
        check("path parameter ", request.getUriInfo().getPathParameters(true));
        check("", request.getUriInfo().getQueryParameters(true));
    }

    private static void check(String prefix, MultivaluedMap<String, String> parameters) {
        parameters.forEach((name, values) -> values.forEach(v -> text(prefix + name, v, false)));
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        Object body = context.proceed();
        walk("", body, 0);
        return body;
    }

    private static void walk(String path, Object o, int depth) {
        if (o == null || depth > MAX_DEPTH) {
            return;
        }
        if (o instanceof String s) {
            String name = path.substring(path.lastIndexOf('.') + 1);
            text(path.isEmpty() ? "body" : path, s, MULTI_LINE.contains(name));
        } else if (o instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(path + "[" + i + "]", list.get(i), depth + 1);
            }
        } else if (o instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                String key = String.valueOf(k);
                text(join(path, key), key, false);
                walk(join(path, key), v, depth + 1);
            });
        } else if (o.getClass().getPackageName().equals(DTO_PACKAGE)) {
            for (Field f : o.getClass().getFields()) {
                if (!Modifier.isStatic(f.getModifiers())) {
                    try {
                        walk(join(path, f.getName()), f.get(o), depth + 1);
                    } catch (IllegalAccessException e) {
                        // public fields of a public DTO are readable
                    }
                }
            }
        }
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static void text(String field, String value, boolean multiLine) {
        String bad = find(value, multiLine);
        if (bad != null) {
            throw new InvalidInputException(field, escaped(value), bad);
        }
    }

    /** What is wrong with the text, or null when it has no control character (but line breaks where allowed). */
    static String find(String value, boolean multiLine) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.getType(c) == Character.CONTROL && !(multiLine && (c == '\n' || c == '\r' || c == '\t'))) {
                return "must not contain control characters (found U+" + String.format("%04X", (int) c)
                        + " at position " + i + ")";
            }
        }
        return null;
    }

    /** The text with its control characters written as escapes, safe to show. */
    static String escaped(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.getType(c) != Character.CONTROL) {
                sb.append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb.toString();
    }
}
