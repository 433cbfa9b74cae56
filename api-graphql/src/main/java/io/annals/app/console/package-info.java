/**
 * The web console: {@code /} and every {@code /ui/...} deep link answer with the console's one page
 * ({@code static/console}), whose scripts route on the path and read everything through {@code /graphql} with the
 * signed-in user's API token. The page and its scripts are public; every piece of data needs the token, as in the API.
 */
package io.annals.app.console;
