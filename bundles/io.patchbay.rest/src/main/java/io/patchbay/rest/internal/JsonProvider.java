package io.patchbay.rest.internal;

import java.io.IOException;

import javax.ws.rs.core.MediaType;
import javax.ws.rs.ext.MessageBodyReader;
import javax.ws.rs.ext.MessageBodyWriter;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsMediaType;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
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
import com.fasterxml.jackson.jaxrs.json.JacksonJsonProvider;

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
                .addModule(new JavaTimeModule()).addModule(new SimpleModule("whole-text")
                        .addDeserializer(String.class, new WholeText())
                        .addKeyDeserializer(String.class, new WholeKey()))
                .build();
        for (CoercionInputShape shape : new CoercionInputShape[] { CoercionInputShape.Integer,
                CoercionInputShape.Float, CoercionInputShape.Boolean }) {
            m.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        m.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        return m.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL);
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
