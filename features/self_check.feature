# language: zh-CN
功能: 申请自查命令 subsidy check
  企业或受理人员可在提交前用 subsidy check 检查一份申请书：系统逐项审核，但不保存任何结果。
  默认用中文写出审核意见，加 --lang en 用英文；加 --format json 输出机器可读的审核结果。
  只要完成了审核，无论结论如何，退出码都是 0。
  申请书本身有错（格式错误、项目名称错误、校验位错误、金额为负等）时，退出码为 2，
  错误信息写明文件名、出错的字段和错在哪里，不输出程序堆栈，标准输出不输出任何内容。

  背景:
    假如 一份本地产业化发明专利奖励申请，材料齐全

  场景: 三(二)2 默认用中文写出审核意见
    当 运行 subsidy check PY-2024-0101.yaml
    那么 退出码为 0
    而且 标准错误为空
    而且 输出中写明“申请 PY-2024-0101 · 濮阳市龙丰新材料有限公司（91410902MA44P5T29U） · 提交日期 2024-03-15”
    而且 输出中写明“适用政策：濮政〔2022〕19号 濮阳市国家知识产权强市建设试点城市工作方案”
    而且 输出中写明“第1项 本地产业化发明专利奖励 · 三(二)2 · 符合条件 · 奖励 500,000.00 元”
    而且 输出中写明“✔ 专利为发明专利：ZL202010123456.2 为发明专利”
    而且 输出中写明“合计奖励 500,000.00 元”
    而且 输出中写明“政策原文（三(二)2）：“鼓励外地优秀专利技术在我市落地转化实施,对企业获得发明专利授权并在我市辖区内实施产业化的,每项奖励50万元””
    而且 输出中不出现“ELIGIBLE”

  场景: 三(二)2 加 --lang en 用英文写出审核意见
    当 运行 subsidy check PY-2024-0101.yaml --lang en
    那么 退出码为 0
    而且 标准错误为空
    而且 输出中写明“Application PY-2024-0101 · 濮阳市龙丰新材料有限公司 (91410902MA44P5T29U) · submitted 2024-03-15”
    而且 输出中写明“Claim 1 · Local industrialization award · 三(二)2 · ELIGIBLE · 500,000.00 yuan”
    而且 输出中写明“✔ The patent is an invention patent: ZL202010123456.2 is an invention patent”
    而且 输出中写明“Total award 500,000.00 yuan”
    而且 输出中不出现“合计奖励”
    而且 输出中不出现“符合条件”

  场景: 三(二)2 加 --format json 输出约定格式的审核结果
    当 运行 subsidy check PY-2024-0101.yaml --format json
    那么 退出码为 0
    而且 标准错误为空
    而且 输出是一个 JSON 对象，其中：
      | 字段                            | 值                              |
      | application                     | "PY-2024-0101"                  |
      | ruleset.id                      | "puyang-2022-19"                |
      | decisions[0].claim              | 1                               |
      | decisions[0].program            | "local-industrialization-award" |
      | decisions[0].outcome            | "eligible"                      |
      | decisions[0].amount             | "500000.00"                     |
      | decisions[0].maximums           | null                            |
      | decisions[0].missing            | []                              |
      | decisions[0].criteria[0].id     | "applicant-is-enterprise"       |
      | decisions[0].criteria[0].status | "met"                           |
      | decisions[0].criteria[0].clause | "三(二)2"                       |
    而且 JSON 中规则版本以“sha256:”开头
    而且 JSON 中每项决定都有字段 claim、program、outcome、amount、maximums、criteria、missing
    而且 JSON 中每个条件都有字段 id、status、clause、explanation
    而且 JSON 中的条件依次为 applicant-is-enterprise、invention-patent、patent-granted、patent-in-force、applicant-is-patentee、industrialized-in-puyang、industrialization-started、once-per-patent、co-owned-award-share、not-abnormal-application、no-infringement-record、policy-in-force

  场景: 三(二)2 JSON 输出中待评审的申请写明缺少的字段和核实后的金额
    假如 申请书未填写“专利有效”
    当 运行 subsidy check PY-2024-0101.yaml --format json
    那么 退出码为 0
    而且 输出是一个 JSON 对象，其中：
      | 字段                             | 值                            |
      | decisions[0].outcome             | "needs_review"                |
      | decisions[0].amount              | "500000.00"                   |
      | decisions[0].missing             | ["claims[1].patent.in_force"] |
      | decisions[0].criteria[3].id      | "patent-in-force"             |
      | decisions[0].criteria[3].status  | "unknown"                     |
      | decisions[0].criteria[3].missing | ["claims[1].patent.in_force"] |

  场景: 三(二)2 待评审的申请在中文审核意见中列出缺少的信息
    假如 申请书未填写“专利有效”
    当 运行 subsidy check PY-2024-0101.yaml
    那么 退出码为 0
    而且 输出中写明“第1项 本地产业化发明专利奖励 · 三(二)2 · 待评审 · 核实后拟奖励 500,000.00 元”
    而且 输出中写明“缺少信息：专利有效”
    而且 输出中写明“1 项待评审，奖励待评审后确定”

  场景: 三(二)2 自查不提交申报：只能由评审小组认定的事项，提示提交后交评审小组评审，而不说“已在待评审”
    假如 申请书 PY-2025-0504.yaml 的内容为：
      """
      format: 1
      id: PY-2025-0504
      submitted_on: 2025-05-20
      applicant: {type: individual, name: 彭晓东, division: "410928", infringement_record: false}
      claims:
        - program: high-value-inventor-grant
          patent:
            number: ZL201914166573.X
            kind: invention
            holder: 濮阳县晓东农业科技有限公司
            filed_on: 2019-02-26
            granted_on: 2021-09-14
            in_force: true
            inventors: [彭晓东]
            high_value: {pledge_financing: "8000000.00"}
          owns_ip: true
          transformed_in_puyang: true
          benefits: 年新增产值1.2亿元
      """
    当 运行 subsidy check PY-2025-0504.yaml
    那么 退出码为 0
    而且 输出中写明“最小改动：无——可达到的最好结果是由评审小组评审：提交申报后，本项即按现状交评审小组评审”
    而且 输出中不出现“已在待评审”

  场景: 三(二)2 审核结论为不符合条件时，命令照常完成，退出码仍为 0
    假如 专利类型为实用新型
    当 运行 subsidy check PY-2024-0101.yaml
    那么 退出码为 0
    而且 标准错误为空
    而且 输出中写明“不符合条件：ZL202121234567.7 为实用新型，本项只奖励发明专利（三(二)2）。”
    而且 输出中写明“如何满足：以已授权的发明专利申请”
    而且 输出中写明“不予奖励”

  场景: 申请书格式错误（YAML 写法有误）时退出码为 2，并指出文件和行号
    假如 申请书 PY-2024-0102.yaml 的内容为：
      """
      format: 1
      id: PY-2024-0102
      submitted_on: 2024-03-15
      applicant:
        type: enterprise
         name: 濮阳市龙丰新材料有限公司
      claims: []
      """
    当 运行 subsidy check PY-2024-0102.yaml
    那么 退出码为 2
    而且 标准输出为空
    而且 错误信息写明“PY-2024-0102.yaml:6”
    而且 错误信息写明“malformed YAML”
    而且 没有程序堆栈

  场景: 三(二)2 申报的奖励项目名称写错时退出码为 2，并提示正确的名称
    假如 申报项目写为 local-industrialisation-award
    当 运行 subsidy check PY-2024-0101.yaml
    那么 退出码为 2
    而且 标准输出为空
    而且 错误信息指出文件 PY-2024-0101.yaml 的字段 claims[1].program
    而且 错误信息写明“unknown programme 'local-industrialisation-award'”
    而且 错误信息写明“did you mean 'local-industrialization-award'?”
    而且 没有程序堆栈

  场景: 三(一)1 已宣布但尚未制定办法的濮阳市专利奖不能申报
    假如 申报项目写为 puyang-patent-award
    当 运行 subsidy check PY-2024-0101.yaml
    那么 退出码为 2
    而且 标准输出为空
    而且 错误信息指出文件 PY-2024-0101.yaml 的字段 claims[1].program
    而且 错误信息写明“is announced in 三(一)1”
    而且 没有程序堆栈

  场景: 三(二)2 统一社会信用代码校验位错误时退出码为 2，并写明正确的校验位
    假如 统一社会信用代码为 91410902MA44P5T29W
    当 运行 subsidy check PY-2024-0101.yaml
    那么 退出码为 2
    而且 标准输出为空
    而且 错误信息指出文件 PY-2024-0101.yaml 的字段 applicant.credit_code
    而且 错误信息写明“check character should be U, got W (91410902MA44P5T29W)”
    而且 没有程序堆栈

  场景: 三(二)2 专利号校验位错误时退出码为 2，并写明正确的校验位
    假如 专利号为 ZL202010123456.7
    当 运行 subsidy check PY-2024-0101.yaml
    那么 退出码为 2
    而且 标准输出为空
    而且 错误信息指出文件 PY-2024-0101.yaml 的字段 claims[1].patent.number
    而且 错误信息写明“check digit should be 2, got 7”
    而且 没有程序堆栈

  场景: 三(二)2 一份申请书有多处错误时，一次全部列出
    假如 统一社会信用代码为 91410902MA44P5T29W
    而且 专利号为 ZL202010123456.7
    当 运行 subsidy check PY-2024-0101.yaml
    那么 退出码为 2
    而且 标准输出为空
    而且 错误信息指出文件 PY-2024-0101.yaml 的字段 applicant.credit_code
    而且 错误信息指出文件 PY-2024-0101.yaml 的字段 claims[1].patent.number

  场景: 三(二)2 技术交易额为负数时退出码为 2，并指出出错的字段
    假如 一份专利技术购买奖励申请，材料齐全
    而且 技术交易额为 -1,200,000.00
    当 运行 subsidy check PY-2024-0201.yaml
    那么 退出码为 2
    而且 标准输出为空
    而且 错误信息指出文件 PY-2024-0201.yaml 的字段 claims[1].transaction_amount
    而且 错误信息写明“money cannot be negative”
    而且 没有程序堆栈

  场景: 三(二)2 技术交易额超过两位小数时退出码为 2
    假如 一份专利技术购买奖励申请，材料齐全
    而且 技术交易额为 100.005
    当 运行 subsidy check PY-2024-0201.yaml
    那么 退出码为 2
    而且 标准输出为空
    而且 错误信息指出文件 PY-2024-0201.yaml 的字段 claims[1].transaction_amount
    而且 没有程序堆栈

  场景: 申请书文件不存在时退出码为 2
    当 运行 subsidy check PY-2024-9999.yaml
    那么 退出码为 2
    而且 标准输出为空
    而且 错误信息写明“PY-2024-9999.yaml: no such file”
    而且 没有程序堆栈
