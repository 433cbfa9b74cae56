package io.annals.app.graphql;

import io.annals.command.api.common.Page;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import org.axonframework.messaging.responsetypes.AbstractResponseType;

/**
 * Asks the query bus for a {@code Page<T>}. Axon's {@code instanceOf(Page.class)} matches only handlers whose return
 * type is the raw class, so a handler declared to return {@code Page<DatasetView>} would not be found; this matches
 * the parameterised type, and only for the element type asked for.
 */
final class PageResponseType<T> extends AbstractResponseType<Page<T>> {

    private final Class<T> element;

    private PageResponseType(Class<T> element) {
        super(element);
        this.element = element;
    }

    static <T> PageResponseType<T> of(Class<T> element) {
        return new PageResponseType<>(element);
    }

    @Override
    public boolean matches(Type responseType) {
        return responseType instanceof ParameterizedType parameterized && parameterized.getRawType() == Page.class
                && parameterized.getActualTypeArguments()[0] instanceof Class<?> argument
                && element.isAssignableFrom(argument);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Class responseMessagePayloadType() {
        return Page.class;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Page<T> convert(Object response) {
        return (Page<T>) response;
    }
}
