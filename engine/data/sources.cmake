target_sources(rotor_engine PRIVATE)
