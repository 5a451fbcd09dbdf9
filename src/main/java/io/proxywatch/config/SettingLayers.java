package io.proxywatch.config;

import java.util.Map;
import java.util.Properties;

/**
 * Decides each proxywatch.* value from its layers, lowest first: packaged default, --config file, environment
 * variable, -D system property. Camel's own lookup ranks the environment above system properties and a second
 * properties location below the first, so the result is handed to Camel as override properties.
 */
public final class SettingLayers {
    private SettingLayers() {
    }

    public static Properties merge(KnownSettings known, Properties configFile, Map<String, String> env,
                                   Properties system) {
        Properties out = new Properties();
        if (configFile != null) {
            out.putAll(configFile); // camel.* keys of the file too
        }
        for (KnownSettings.Option o : known.options()) {
            String value = o.defaultValue();
            if (configFile != null && configFile.getProperty(o.key()) != null) {
                value = configFile.getProperty(o.key());
            }
            if (env.get(o.envName()) != null) {
                value = env.get(o.envName());
            }
            if (system.getProperty(o.key()) != null) {
                value = system.getProperty(o.key());
            }
            out.setProperty(o.key(), value);
        }
        return out;
    }
}
