"Local fakes of outside services (documented APIs) and test harness."
