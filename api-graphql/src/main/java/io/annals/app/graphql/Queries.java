package io.annals.app.graphql;

import io.annals.command.api.common.Page;
import io.annals.command.api.common.PageRequest;
import java.util.Optional;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Component;

/** The query bus as resolvers use it: one entity, or one page of a list, typed. */
@Component
class Queries {

    static final int DEFAULT_PAGE = 50;

    private final QueryGateway gateway;

    Queries(QueryGateway gateway) {
        this.gateway = gateway;
    }

    <T> Optional<T> one(Object query, Class<T> type) {
        return gateway.query(query, ResponseTypes.optionalInstanceOf(type)).join();
    }

    <T> Page<T> page(Object query, Class<T> type) {
        return gateway.query(query, PageResponseType.of(type)).join();
    }

    QueryGateway gateway() {
        return gateway;
    }

    static PageRequest request(Integer first, String after) {
        return new PageRequest(first == null ? DEFAULT_PAGE : first, after);
    }
}
