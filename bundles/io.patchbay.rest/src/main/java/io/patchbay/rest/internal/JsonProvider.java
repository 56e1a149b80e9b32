package io.patchbay.rest.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.MultivaluedMap;
import javax.ws.rs.ext.MessageBodyReader;
import javax.ws.rs.ext.MessageBodyWriter;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsMediaType;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.jaxrs.json.JacksonJsonProvider;

import io.patchbay.api.InvalidInputException;

/**
 * JSON for the API with Jackson: public-field DTOs as they are, times as ISO-8601 strings, and unknown fields
 * refused rather than silently dropped. Values are taken only as the type they are: a number or a boolean is not a
 * string, a string is not a number, and text must be whole UTF-16 (no lone surrogate).
 */
@Component(service = { MessageBodyReader.class, MessageBodyWriter.class }, property = "patchbay.json=true")
@JaxrsExtension
@JaxrsMediaType({ MediaType.APPLICATION_JSON, "application/problem+json" })
@JaxrsApplicationSelect(PatchbayApplication.SELECT_WITH_DEFAULT)
public class JsonProvider extends JacksonJsonProvider {

    public JsonProvider() {
        super(mapper());
    }

    static ObjectMapper mapper() {
        ObjectMapper m = JsonMapper.builder().disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .addModule(new JavaTimeModule()).addModule(new SimpleModule("whole-text")
                        .addDeserializer(String.class, new WholeText())
                        .addDeserializer(Instant.class, new IsoInstant())
                        .addKeyDeserializer(String.class, new WholeKey()))
                .build();
        for (CoercionInputShape shape : new CoercionInputShape[] { CoercionInputShape.Integer,
                CoercionInputShape.Float, CoercionInputShape.Boolean }) {
            m.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        m.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        // "" and "  " are not a number, a flag or a time: refused instead of read as 0, false or null
        for (LogicalType type : new LogicalType[] { LogicalType.Integer, LogicalType.Float, LogicalType.Boolean,
                LogicalType.DateTime, LogicalType.Enum }) {
            m.coercionConfigFor(type).setAcceptBlankAsEmpty(false)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        return m.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    }

    /** JSON on the wire is UTF-8 (RFC 8259); Jackson's own decoder takes overlong forms, so the bytes are checked first. */
    @Override
    public Object readFrom(Class<Object> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, String> headers, InputStream body) throws IOException {
        byte[] bytes = body.readAllBytes();
        strictUtf8(bytes);
        return super.readFrom(type, genericType, annotations, mediaType, headers, new ByteArrayInputStream(bytes));
    }

    /** Refuses bytes that are not well-formed UTF-8: overlong forms, encoded surrogates, stray continuation bytes. */
    static void strictUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CoderResult result = decoder.decode(in, CharBuffer.allocate(bytes.length + 1), true);
        if (result.isError()) {
            throw new InvalidInputException("body", null, "is not well-formed UTF-8: byte " + in.position()
                    + " starts an invalid sequence; send JSON encoded as UTF-8");
        }
    }

    /** Whether a string holds a surrogate that is not half of a pair: not text in any Unicode encoding. */
    static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** Strings as Jackson reads them, refused when they hold a lone surrogate. */
    static final class WholeText extends StdScalarDeserializer<String> {
        private static final long serialVersionUID = 1L;

        WholeText() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String s = StringDeserializer.instance.deserialize(p, ctxt);
            if (s != null && hasLoneSurrogate(s)) {
                throw InvalidFormatException.from(p, "a lone UTF-16 surrogate is not text", Params.shown(s),
                        String.class);
            }
            return s;
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.Textual;
        }
    }

    /** Times only as ISO-8601 strings: a bare number is refused rather than taken as seconds since 1970. */
    static final class IsoInstant extends StdScalarDeserializer<Instant> {
        private static final long serialVersionUID = 1L;

        IsoInstant() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.hasToken(JsonToken.VALUE_STRING)) {
                throw InvalidFormatException.from(p, "a time is an ISO-8601 string", p.getText(), Instant.class);
            }
            return InstantDeserializer.INSTANT.deserialize(p, ctxt);
        }

        @Override
        public LogicalType logicalType() {
            return LogicalType.DateTime;
        }
    }

    /** Map keys, refused like values when they hold a lone surrogate. */
    static final class WholeKey extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
            if (hasLoneSurrogate(key)) {
                throw InvalidFormatException.from(ctxt.getParser(), "a lone UTF-16 surrogate is not text",
                        Params.shown(key), String.class);
            }
            return key;
        }
    }
}
