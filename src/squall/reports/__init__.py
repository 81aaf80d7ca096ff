"""Reports and exports of stored runs: squall JSON, Rally JSON, JUnit XML, CSV."""
