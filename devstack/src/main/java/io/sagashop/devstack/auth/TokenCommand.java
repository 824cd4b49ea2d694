package io.sagashop.devstack.auth;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code ./sagashop token --customer ID | --admin [--ttl 24h] [--data-dir DIR | --key FILE]}: prints a bearer token
 * signed with the key {@code ./sagashop up} made in its data directory, or with the private key in {@code FILE} (kind:
 * kubernetes/dev-keys/private.pem).
 */
public final class TokenCommand {

    private TokenCommand() {
    }

    public static int run(Path root, List<String> args) {
        String customer = null;
        boolean admin = false;
        Duration ttl = Tokens.DEFAULT_TTL;
        Path dataDir = root.resolve(".devstack");
        Path keyFile = null;
        try {
            for (int i = 0; i < args.size(); i++) {
                String option = args.get(i);
                switch (option) {
                    case "--admin" -> admin = true;
                    case "--customer" -> customer = value(args, ++i, option);
                    case "--ttl" -> ttl = ttl(value(args, ++i, option));
                    case "--data-dir" -> dataDir = Path.of(value(args, ++i, option)).toAbsolutePath();
                    case "--key" -> keyFile = Path.of(value(args, ++i, option)).toAbsolutePath();
                    default -> throw new IllegalArgumentException("unknown option '" + option + "'");
                }
            }
            if (admin == (customer != null)) {
                throw new IllegalArgumentException("say whose token: --customer ID or --admin");
            }
            if (customer != null && !customer.matches("[A-Za-z0-9._@:-]{1,64}")) {
                throw new IllegalArgumentException("a customer id is 1 to 64 letters, digits or ._@:- characters, not '" + customer + "'");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("sagashop: token: " + e.getMessage() + "; see ./sagashop help");
            return 2;
        }
        try {
            var key = keyFile == null ? DevKeys.in(dataDir).privateKey() : DevKeys.readPrivateKey(keyFile);
            System.out.println(admin ? Tokens.admin(key, ttl) : Tokens.customer(key, customer, ttl));
            return 0;
        } catch (IOException e) {
            System.err.println("sagashop: token: " + e.getMessage());
            return 1;
        }
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }

    /** {@code 90s}, {@code 30m}, {@code 24h}, {@code 7d}. */
    static Duration ttl(String text) {
        var m = java.util.regex.Pattern.compile("([1-9][0-9]{0,5})([smhd])").matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("--ttl takes a number and a unit (s, m, h, d), like 24h, not '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }
}
